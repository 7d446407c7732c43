package org.ledgerpki.cosign.aggregator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.cosign.witness.CosignatureCheck;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.schemas.avro.SubtreeSignature;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The valid SUBTREE signatures the aggregator collected (for standalone certificates and for
 * landmarks), and the signed subtrees it publishes from them. One per processor instance.
 */
final class SubtreeSignatures {
  private static final Logger LOG = LoggerFactory.getLogger(SubtreeSignatures.class);

  private final AggregatorStores stores;
  private final PolicyHolder holder;
  private final CosignatureChecks checks;

  SubtreeSignatures(AggregatorStores stores, PolicyHolder holder, CosignatureChecks checks) {
    this.stores = stores;
    this.holder = holder;
    this.checks = checks;
  }

  /**
   * Keeps SUBTREE cosignature {@code c} if it is valid under the newest policy; otherwise hands it
   * to {@code invalid} with the reason.
   *
   * @return whether it was kept
   */
  boolean take(Cosignature c, BiConsumer<Cosignature, String> invalid) {
    byte[] signature;
    try {
      signature = checks.of(holder.latest()).checkSubtree(c);
    } catch (CosignatureCheck.Invalid e) {
      invalid.accept(c, e.getMessage());
      return false;
    }
    stores.putSubtreeSignature(
        c.getOrigin(),
        c.getStart(),
        c.getEnd(),
        new AggregatorStores.SubtreeSignature(
            c.getCosigner(), Evidence.bytes(c.getHash()), signature));
    return true;
  }

  /**
   * Subtree {@code s} with the signatures collected on it. The hash is the one signed by the most
   * cosigners of {@code preferred} (those who cosigned the checkpoint), then by the most cosigners;
   * with {@code quorum > 0} only a hash signed by at least that many cosigners is taken. Without
   * such a hash the subtree has an empty hash and no signatures.
   */
  SignedSubtree signed(String origin, Subtree s, Set<String> preferred, int quorum) {
    Map<String, TreeMap<String, byte[]>> byHash = new HashMap<>();
    Map<String, byte[]> hashes = new HashMap<>();
    for (AggregatorStores.SubtreeSignature sig : stores.subtreeSignatures(origin, s)) {
      String hex = Hex.encode(sig.hash());
      hashes.put(hex, sig.hash());
      byHash.computeIfAbsent(hex, h -> new TreeMap<>()).put(sig.cosigner(), sig.signature());
    }
    Comparator<String> order =
        Comparator.<String>comparingLong(
                h -> byHash.get(h).keySet().stream().filter(preferred::contains).count())
            .thenComparingInt(h -> byHash.get(h).size())
            .reversed()
            .thenComparing(Comparator.naturalOrder());
    Optional<String> best =
        byHash.keySet().stream()
            .filter(h -> byHash.get(h).size() >= quorum)
            .sorted(order)
            .findFirst();
    if (byHash.size() > 1) {
      LOG.warn(
          "{}: cosigners disagree on the hash of subtree {} of {}: {}",
          AggregatorProcessor.SERVICE,
          s,
          origin,
          byHash.entrySet().stream()
              .map(e -> e.getKey() + " by " + e.getValue().keySet())
              .toList());
    }
    List<SubtreeSignature> sigs = new ArrayList<>();
    byte[] hash = new byte[0];
    if (best.isPresent()) {
      hash = hashes.get(best.get());
      for (Map.Entry<String, byte[]> e : byHash.get(best.get()).entrySet()) {
        // A cosigner removed by governance since it signed is left out (it used to crash the
        // stream here): relying parties on the newer policy would not count it anyway.
        Optional<TrustPolicy.CosignerIdentity> cosigner =
            holder.latest().member(e.getKey()).map(TrustPolicy.Member::cosigner);
        if (cosigner.isEmpty()) {
          continue;
        }
        sigs.add(
            SubtreeSignature.newBuilder()
                .setCosigner(e.getKey())
                .setCosignerId(cosigner.get().trustAnchorId())
                .setSignature(Evidence.buffer(e.getValue()))
                .build());
      }
    }
    return SignedSubtree.newBuilder()
        .setStart(s.start())
        .setEnd(s.end())
        .setHash(Evidence.buffer(hash))
        .setSignatures(sigs)
        .build();
  }
}
