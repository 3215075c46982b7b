/**
 * The MongoDB driver settings both MongoDB-backed services (User, Notification) connect with.
 *
 * - `serverSelectionTimeoutMS`: with the database away, a call fails within 5 s (a 503 naming
 *   it) instead of waiting for the driver's default 30 s.
 * - `socketTimeoutMS`: the driver's default is none. When the server restarts behind a proxy that
 *   half-closes connections (Toxiproxy in the fault suite; an L4 proxy or sidecar in production),
 *   the driver's heartbeat can wait on such a socket forever: the server is never seen up again
 *   and every call fails server selection until the process restarts (the fault suite's FerretDB
 *   restart showed it for minutes). With a timeout, the socket is dropped and the heartbeat
 *   reconnects. 10 s is far above any query these services make (point lookups and short pages).
 */
export const MONGO_CONNECTION_OPTIONS = {
  serverSelectionTimeoutMS: 5_000,
  socketTimeoutMS: 10_000,
} as const;
