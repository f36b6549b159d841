// A value that follows another after a pause (for live estimates while typing).
import { useEffect, useState } from "react";

export function useDebounced<T>(value: T, ms: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => {
      setCurrent(value);
    }, ms);
    return () => {
      clearTimeout(id);
    };
  }, [value, ms]);
  return current;
}
