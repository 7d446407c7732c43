package org.ledgerpki.bench.system;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.HeldCheckpoints;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusCheckpoints;
import org.ledgerpki.core.verify.StatusVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * P4 and P5, answer size: the bytes of a status answer (the inclusion proof, the cosigned
 * checkpoint, the certificate and the status map's two proofs, at the entry key and at its key's
 * compromised-key key) in a log of N certificates with E status events, computed with core's
 * structures and no Kafka.
 *
 * <p>The log is a real {@link MerkleTree} of N leaves (the certificate asked about has its real MTC
 * entry; the other leaves are distinct hashes, which changes no size); the status log holds E
 * keyCompromise REVOKE events of other entries, each stored in the map at its entry key and its
 * compromised-key key, as {@link StatusLog} does; the checkpoint is signed like the issuance stream
 * signs it (Ed25519 and ML-DSA-44) and cosigned like the cosigners do (Ed25519 {@code
 * cosignature/v1} and ML-DSA-44 {@code subtree/v1}).
 *
 * <p>The first table (P5) is the GOOD answer's JSON with {@code --cosigners} cosigners' lines. The
 * P4 tables give, for a GOOD answer and for a REVOKED one (the certificate asked about revoked for
 * keyCompromise by the last status event, so both proofs carry that event), the six forms an
 * inquiry node serves since ADR 0009 with {@code --p4-cosigners} cosigners' lines: JSON with the
 * full note or leaving out a held note, and the compact binary form ({@link CompactAnswer}) with
 * the note's Ed25519 status form ({@link StatusCheckpoints#statusForm}) or none, with or without
 * the certificate. Every answer is verified offline with {@link StatusVerifier} (a held form
 * against a {@link HeldCheckpoints} that holds the full note; a by-hash form with {@code
 * verifyByHash}, a form without the certificate with the certificate the client sent) before it is
 * measured.
 */
@Command(
    name = "answer-size",
    mixinStandardHelpOptions = true,
    description =
        "P4/P5: size of GOOD and REVOKED status answers at N certificates, in each served form"
            + " (see BENCHMARKS.md).")
public final class AnswerSizeBench implements Callable<Integer> {
  @Option(
      names = "--certs",
      defaultValue = "1000000",
      description = "Certificates in the log (default: ${DEFAULT-VALUE}).")
  long certs;

  @Option(
      names = "--events",
      split = ",",
      defaultValue = "0,1000,10000,100000",
      description = "Status events in the map, one answer per value (default: ${DEFAULT-VALUE}).")
  List<Integer> events;

  @Option(
      names = "--cosigners",
      defaultValue = "3",
      description =
          "Cosigners whose lines the checkpoint of the P5 table carries (default:"
              + " ${DEFAULT-VALUE}).")
  int cosigners;

  @Option(
      names = "--p4-cosigners",
      defaultValue = "2",
      description =
          "Cosigners whose lines the checkpoint of the P4 tables carries; m = 2 is P4's case"
              + " (default: ${DEFAULT-VALUE}).")
  int p4Cosigners;

  @Option(
      names = "--alg",
      defaultValue = "ecdsa-p256",
      description = "Key algorithm of the certificate asked about (default: ${DEFAULT-VALUE}).")
  String alg;

  @Option(
      names = "--samples",
      defaultValue = "10000",
      description =
          "Random absent keys over which the proof's sibling count is summarised (default:"
              + " ${DEFAULT-VALUE}).")
  int samples;

  private static void say(String fmt, Object... args) {
    System.out.printf(Locale.ROOT, fmt + "%n", args);
  }

  /** One measured answer of the P5 table. */
  public record Sized(
      int events,
      int json,
      int gzip,
      int note,
      int entry,
      int inclusionHashes,
      int siblings,
      int keySiblings,
      double meanSiblings,
      int minSiblings,
      int maxSiblings) {}

  @Override
  public Integer call() throws Exception {
    say(
        "P5 answer size: a GOOD answer for a %s certificate at index %d of a log of %d entries,"
            + " checkpoint cosigned by %d",
        alg, Math.min(certs - 1, 777_777), certs, cosigners);
    long t = System.nanoTime();
    SizedLedger.Setup s = SizedLedger.setUp(certs, Math.max(cosigners, p4Cosigners), alg);
    say("  built the log's Merkle tree in %.1f s", (System.nanoTime() - t) / 1e9);
    say("");
    say(
        "| status events | answer JSON bytes | gzip | checkpoint note | entry | inclusion hashes |"
            + " status-map siblings (entry key + compromised-key key; mean, min–max over %d"
            + " keys) |",
        samples);
    say("|---|---|---|---|---|---|---|");
    List<SizedLedger.State[]> states = new ArrayList<>();
    for (int e : events) {
      SizedLedger.State[] both = SizedLedger.states(s, e);
      states.add(both);
      Sized z = measure(s, both[0]);
      say(
          "| %,d | **%,d** | %,d | %,d | %,d | %d | %d + %d (%.1f, %d–%d) |",
          z.events(),
          z.json(),
          z.gzip(),
          z.note(),
          z.entry(),
          z.inclusionHashes(),
          z.siblings(),
          z.keySiblings(),
          z.meanSiblings(),
          z.minSiblings(),
          z.maxSiblings());
    }
    for (SizedLedger.State[] both : states) {
      say("");
      say(
          "P4 answer forms at %,d certificates and %,d other status events; checkpoint cosigned by"
              + " %d (quorum %d); goals: GOOD ≤ %,d, GOOD to a client holding the checkpoint ≤ %,d,"
              + " REVOKED ≤ %,d bytes",
          certs,
          both[0].otherEvents(),
          p4Cosigners,
          s.policy().cosignerQuorum(),
          AnswerFormSizes.GOAL_GOOD,
          AnswerFormSizes.GOAL_GOOD_HELD,
          AnswerFormSizes.GOAL_REVOKED);
      List<List<AnswerFormSizes.Form>> measured = new ArrayList<>();
      for (SizedLedger.State st : both) {
        measured.add(AnswerFormSizes.forms(s, st, p4Cosigners));
        say(
            "  %s: %d inclusion hashes, %d + %d status-map siblings%s",
            st.revocation() == null ? "GOOD" : "REVOKED",
            s.tree().inclusionProof(s.index(), s.tree().size()).size(),
            st.entryProof().siblings().size(),
            st.keyProof().siblings().size(),
            st.revocation() == null
                ? ""
                : ", its keyCompromise revocation event at the entry key and at the key's"
                    + " compromised-key key");
      }
      say("");
      say(
          "| answer | form | bytes | of which checkpoint note | of which certificate | entry,"
              + " proofs, names, times | P4 goal | |");
      say("|---|---|---|---|---|---|---|---|");
      for (List<AnswerFormSizes.Form> forms : measured) {
        for (AnswerFormSizes.Form f : forms) {
          say(
              "| %s | %s | **%,d** | %,d | %,d | %,d | ≤ %,d | %s |",
              f.status(),
              f.form(),
              f.bytes(),
              f.note(),
              f.certificate(),
              f.bytes() - f.note() - f.certificate(),
              f.goal(),
              f.met() ? "met" : "not met");
        }
        say(
            "| %s | (1) gzipped, for reference | %,d | | | | | |",
            forms.get(0).status(), AnswerFormSizes.gzip(forms.get(0).body()));
      }
    }
    return 0;
  }

  private Sized measure(SizedLedger.Setup s, SizedLedger.State st) throws Exception {
    String note = SizedLedger.note(s, st, cosigners);
    String json = SizedLedger.answer(s, st, note).toJson();
    StatusVerifier.Verified v = s.verifier().verify(StatusAnswer.fromJson(json), s.der(), s.now());
    if (!"GOOD".equals(v.status())) {
      throw new IllegalStateException("the answer verified as " + v.status());
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    java.util.Random rnd = new java.util.Random(5);
    long sum = 0;
    int min = Integer.MAX_VALUE;
    int max = 0;
    byte[] k = new byte[32];
    for (int i = 0; i < samples; i++) {
      rnd.nextBytes(k);
      int n = st.map().siblingCount(k);
      sum += n;
      min = Math.min(min, n);
      max = Math.max(max, n);
    }
    return new Sized(
        st.otherEvents(),
        bytes.length,
        AnswerFormSizes.gzip(bytes),
        note.getBytes(StandardCharsets.UTF_8).length,
        s.entry().length,
        s.tree().inclusionProof(s.index(), s.tree().size()).size(),
        st.entryProof().siblings().size(),
        st.keyProof().siblings().size(),
        (double) sum / samples,
        min,
        max);
  }
}
