/** What the live tail needs of a client connection (WsConnection implements it). */
export interface TailOutlet {
  /** The connection has closed (or is closing): a subscription may no longer start. */
  readonly isClosing: boolean;
  /** Bytes queued for the peer and not yet handed to the kernel. */
  readonly buffered: number;
  /**
   * Sends a server text frame now, outside the frame-reply order (pushes are not replies); a
   * Buffer is sent as it is, so one encoding serves every subscriber of an entry.
   */
  push(frame: string | Buffer): void;
  /** Sends these encoded text messages now, in order, in one write (a group's `log` events). */
  pushAll(frames: readonly Buffer[]): void;
  /** Called whenever the queued bytes have been written out. */
  onDrain(listener: () => void): void;
  /** Called once, when the connection has closed. */
  onClose(listener: () => void): void;
}
