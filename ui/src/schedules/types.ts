// The schedule views under the names the screens share.
import type { ScheduleRunView_Serialize, ScheduleView_Serialize } from "../ipc/bindings";

/** A schedule as the Schedules screen lists it. */
export type ScheduleView = ScheduleView_Serialize;

/** One occurrence of a schedule. */
export type ScheduleRunView = ScheduleRunView_Serialize;
