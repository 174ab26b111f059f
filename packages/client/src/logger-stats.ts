/** `stats()` (SPEC §9), in entries. */
export interface LoggerStats {
  /** Written to a socket, resends included. */
  sent: number;
  /** Stored by the service (a duplicate ack counts once). */
  acked: number;
  /** Refused by the service. */
  rejected: number;
  /** Dropped by the full buffer ('drop-oldest'). */
  dropped: number;
  /** Written again after a reconnect or a refused frame. */
  resent: number;
  /** Not yet acked: queued or in flight. */
  buffered: number;
}
