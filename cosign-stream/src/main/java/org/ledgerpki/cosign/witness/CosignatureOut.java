package org.ledgerpki.cosign.witness;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjLongConsumer;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.core.tlog.Ed25519Cosigner;
import org.ledgerpki.core.tlog.MlDsaCosigner;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a cosigner publishes on {@code ledger.cosignatures}: CHECKPOINT cosignatures (Ed25519 {@code
 * cosignature/v1} and, with an ML-DSA-44 key, the timestamped {@code subtree/v1} line and the
 * ML-DSA-44 status cosignature over the whole body, ADR 0010) and timestamp-0 ML-DSA-44 SUBTREE
 * signatures, signed with the member's cosigner keys. One per processor instance.
 */
public final class CosignatureOut {
  private static final Logger LOG = LoggerFactory.getLogger(CosignatureOut.class);

  private final String org;
  private final String service;
  private final Ed25519Cosigner ed25519;
  private final MlDsaCosigner mlDsa;
  private final ObjLongConsumer<Cosignature> forward;
  private boolean warnedNoMlDsa;

  /**
   * @param member the cosigning member; requires an Ed25519 cosigner key (an ML-DSA-44 key is
   *     optional)
   * @param service the name that opens each log line, {@code cosigner/<org>}
   * @param forward publishes a cosignature with the timestamp of the record that caused it
   */
  public CosignatureOut(MemberKeys member, String service, ObjLongConsumer<Cosignature> forward) {
    this.org = member.id();
    this.service = service;
    this.ed25519 = member.ed25519Cosigner();
    this.mlDsa = member.cosignerMlDsa44() == null ? null : member.mlDsaCosigner();
    this.forward = forward;
  }

  /** Whether this cosigner has an ML-DSA-44 key, and so signs subtrees and landmarks. */
  public boolean signsSubtrees() {
    return mlDsa != null;
  }

  /**
   * Publishes the timestamp-0 SUBTREE signature on subtree {@code s} of {@code origin} with hash
   * {@code hash}. Requires {@link #signsSubtrees()}.
   */
  public void subtree(String origin, Subtree s, byte[] hash, long timestamp) {
    byte[] sig = mlDsa.signSubtree(origin, s.start(), s.end(), hash);
    forward.accept(
        Cosignature.newBuilder()
            .setCosigner(org)
            .setOrigin(origin)
            .setKind(CosignatureKind.SUBTREE)
            .setStart(s.start())
            .setEnd(s.end())
            .setHash(Evidence.buffer(hash))
            .setTimestamp(0)
            .setLines(List.of(SignatureLines.subtreeLine(mlDsa.name(), mlDsa.keyId(), sig)))
            .build(),
        timestamp);
  }

  /** Publishes the CHECKPOINT cosignature of {@code body} signed at {@code now} (POSIX seconds). */
  void checkpoint(Checkpoint body, long now, long timestamp) {
    List<String> lines = new ArrayList<>(3);
    lines.add(ed25519.cosign(body, now).line());
    if (mlDsa != null) {
      lines.add(mlDsa.cosign(body, now).line());
      lines.add(mlDsa.cosignStatus(body, now).line());
    }
    forward.accept(
        Cosignature.newBuilder()
            .setCosigner(org)
            .setOrigin(body.origin())
            .setKind(CosignatureKind.CHECKPOINT)
            .setStart(0)
            .setEnd(body.size())
            .setHash(Evidence.buffer(body.rootHash()))
            .setBodySha256(Evidence.buffer(CheckpointCheck.bodySha256(body)))
            .setTimestamp(now)
            .setLines(lines)
            .build(),
        timestamp);
  }

  /** Warns, once per processor instance, that this cosigner signs no {@code what}. */
  public void warnNoMlDsa(String what) {
    if (!warnedNoMlDsa) {
      warnedNoMlDsa = true;
      LOG.warn("{}: this cosigner has no ML-DSA-44 key, so it signs no {}", service, what);
    }
  }
}
