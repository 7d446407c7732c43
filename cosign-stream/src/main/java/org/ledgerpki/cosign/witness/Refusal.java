package org.ledgerpki.cosign.witness;

/**
 * Why a cosigner refused to cosign a checkpoint or to sign a landmark: the {@code reason} tag of
 * the {@code refused-checkpoints-total} and {@code refused-landmarks-total} metrics.
 */
public enum Refusal {
  /** The origin is not the policy's log. */
  UNKNOWN_LOG("unknown-log"),
  /** The note does not open under the log's keys, or lacks the log's Ed25519 signature. */
  BAD_LOG_SIGNATURE("bad-log-signature"),
  /** The signed note is not a checkpoint, or the record is inconsistent. */
  MALFORMED("malformed"),
  /** The record's origin, size or root differ from those of the signed note. */
  RECORD_MISMATCH("record-mismatch"),
  /** previousSize is not the last checkpoint size seen: a rival sequencer, or a skipped one. */
  PREVIOUS_SIZE_MISMATCH("previous-size-mismatch"),
  /** The size is below the previous checkpoint's or the last cosigned one's. */
  SHRINKING("shrinking"),
  /** The mirror has another root at that size. */
  ROOT_MISMATCH("root-mismatch"),
  /** An entry below that size failed its checks. */
  TAINTED("tainted"),
  /** The checkpoint has no status line, or one that differs from the cosigner's status log. */
  STATUS_MISMATCH("status-mismatch"),
  /**
   * The checkpoint commits to fewer status events than one this cosigner already cosigned: a
   * checkpoint from before a revocation, re-issued.
   */
  STATUS_ROLLBACK("status-rollback"),
  /** A status event the checkpoint commits to failed its checks. */
  STATUS_TAINTED("status-tainted"),
  /**
   * The checkpoint names a policy (serial and hash) that is not the one this cosigner verified from
   * the genesis policy at that serial, or names none (docs/governance.md).
   */
  POLICY_UNPROVEN("policy-unproven"),
  /** The cosigner has no ML-DSA-44 key (landmarks only). */
  NO_MLDSA_KEY("no-mldsa-key");

  private final String tag;

  Refusal(String tag) {
    this.tag = tag;
  }

  /** The metric tag value, e.g. {@code root-mismatch}. */
  public String tag() {
    return tag;
  }
}
