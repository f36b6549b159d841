//! Lowercase hexadecimal text for bytes: keys, key checks, random names.

/// The bytes as lowercase hex, two digits each.
pub(crate) fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// The bytes of hex text (either case); `None` unless every character is a hex digit and
/// they pair up.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks_exact(2)
        .map(|pair| Some((nibble(pair[0])? << 4) | nibble(pair[1])?))
        .collect()
}

/// Random bytes from the OS as hex: `len` bytes, `2 × len` digits.
pub(crate) fn random(len: usize) -> Result<String, getrandom::Error> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes)?;
    Ok(encode(&bytes))
}

fn nibble(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_lowercase_two_digits_per_byte() {
        assert_eq!(encode(&[]), "");
        assert_eq!(encode(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
    }

    #[test]
    fn decodes_what_it_encodes() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(&encode(&bytes)), Some(bytes));
        assert_eq!(decode("00FFaB"), Some(vec![0x00, 0xff, 0xab]));
    }

    #[test]
    fn refuses_what_is_not_hex() {
        // Odd length, a sign (which `u8::from_str_radix` would take), spaces, non-ASCII.
        for bad in ["abc", "+f", "-1", " 0", "0x", "zz", "é"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn random_has_twice_the_digits_and_differs() {
        let (a, b) = (random(16).unwrap(), random(16).unwrap());
        assert_eq!(a.len(), 32);
        assert!(decode(&a).is_some());
        assert_ne!(a, b);
    }
}
