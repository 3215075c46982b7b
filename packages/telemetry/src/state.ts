/** What register.ts decided, for the helpers that must cost nothing when tracing is off. */
export interface TelemetryState {
  enabled: boolean;
  shutdown?: () => Promise<void>;
}

export const state: TelemetryState = { enabled: false };
