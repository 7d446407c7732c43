package org.ledgerpki.inquiry.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.MtcProof;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.inquiry.index.CertKey;
import org.ledgerpki.inquiry.index.CheckpointView;
import org.ledgerpki.inquiry.index.LandmarkView;
import org.ledgerpki.inquiry.index.LedgerIndex;
import org.ledgerpki.inquiry.index.Located;
import org.ledgerpki.inquiry.index.LogState;
import org.ledgerpki.inquiry.index.SubtreeView;

/**
 * Assembles the MTC certificate of a logged entry from the index: its TBSCertificateLogEntry, the
 * submitted certificate's key, and an MTCProof against a landmark subtree or a cosigned checkpoint
 * subtree (draft-ietf-plants-merkle-tree-certs).
 */
final class MtcAssembly {
  private MtcAssembly() {}

  /**
   * The MTC certificate of the entry of the certificate with hash {@code key}: the landmark form
   * once one of the {@code maxActiveLandmarks} newest landmarks covers its index, else the
   * standalone form with the ML-DSA-44 cosignatures of the covering subtree of the checkpoint that
   * first covered it.
   *
   * @return {@link Lookup.Found}, or {@link Lookup.NotFound} saying why there is none yet
   */
  static Lookup<MtcIssued> certificate(LedgerIndex ledger, CertKey key, int maxActiveLandmarks) {
    Optional<Located> located = ledger.locate(key);
    if (located.isEmpty()) {
      return new Lookup.NotFound<>("no certificate with SHA-256 " + key.hex() + " is in a log");
    }
    Located l = located.get();
    LogState log = ledger.log(l.origin()).orElseThrow();
    long index = l.index();
    try {
      MtcLogEntry entry = MtcLogEntry.decode(l.entry());
      TbsCertificateLogEntry tbs = entry.tbsCertificateLogEntry().orElseThrow();
      byte[] spki = Certificates.parse(l.certificate()).getPublicKey().getEncoded();
      Optional<SubtreeView> landmark = landmarkSubtree(log, index, maxActiveLandmarks);
      MtcProof proof;
      String form;
      if (landmark.isPresent()) {
        SubtreeView s = landmark.get();
        proof =
            MtcProof.landmark(
                entry.extensions(),
                new Subtree(s.start(), s.end()),
                log.subtreeInclusionProof(index, s.start(), s.end()));
        form = "landmark";
      } else {
        CheckpointView first = log.firstCheckpointCovering(index);
        SubtreeView s =
            first == null
                ? null
                : first.subtrees().stream()
                    .filter(x -> x.contains(index) && !x.signatures().isEmpty())
                    .findFirst()
                    .orElse(null);
        if (s == null) {
          return new Lookup.NotFound<>(
              "entry " + index + " of " + l.origin() + " has no cosigned subtree yet");
        }
        List<MtcProof.SubtreeSignature> sigs = new ArrayList<>();
        for (SubtreeView.Signature g : s.signatures()) {
          sigs.add(MtcProof.SubtreeSignature.of(g.cosignerId(), g.signature()));
        }
        sigs.sort(
            java.util.Comparator.comparingInt(
                    (MtcProof.SubtreeSignature g) -> g.cosignerId().length)
                .thenComparing(
                    MtcProof.SubtreeSignature::cosignerId, java.util.Arrays::compareUnsigned));
        proof =
            new MtcProof(
                entry.extensions(),
                s.start(),
                s.end(),
                log.subtreeInclusionProof(index, s.start(), s.end()),
                sigs);
        form = "standalone";
      }
      byte[] der =
          MtcCertificate.assemble(tbs, entry.extensions(), spki, l.logNumber(), index, proof);
      return new Lookup.Found<>(new MtcIssued(der, form));
    } catch (MalformedInputException | RuntimeException e) {
      return new Lookup.NotFound<>(
          "cannot build the MTC certificate of entry " + index + ": " + e.getMessage());
    }
  }

  /** The landmark subtree containing {@code index} of the first active landmark that covers it. */
  private static Optional<SubtreeView> landmarkSubtree(
      LogState log, long index, int maxActiveLandmarks) {
    java.util.NavigableMap<Long, LandmarkView> landmarks = log.landmarks();
    if (landmarks.isEmpty()) {
      return Optional.empty();
    }
    long last = landmarks.lastKey();
    long firstActive = last - maxActiveLandmarks + 1;
    for (LandmarkView lm : landmarks.tailMap(Math.max(1, firstActive), true).values()) {
      if (lm.treeSize() > index) {
        return lm.subtrees().stream().filter(s -> s.contains(index)).findFirst();
      }
    }
    return Optional.empty();
  }
}
