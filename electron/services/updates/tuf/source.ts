/**
 * Where the client reads a repository from: removable media, or (the conformance CLI only) a loopback
 * HTTP server. Both methods refuse more than `maxBytes` with a TufError 'too-large' (never buffer
 * endless data) and throw TufNotFound for a file that is not there.
 */
export interface TufSource {
  /** `fileName` is a metadata file name as the repository names it: "timestamp.json", "3.root.json". */
  fetchMetadata(fileName: string, maxBytes: number): Promise<Uint8Array>;
  /** `path` is the target path, hash-prefixed in its last segment where the repository uses consistent snapshots. */
  fetchTarget(path: string, maxBytes: number): Promise<Uint8Array>;
}

/** The time the client checks expiry against; Enclave's is the workstation clock, tests set their own. */
export interface TufClock {
  now(): Date;
}
