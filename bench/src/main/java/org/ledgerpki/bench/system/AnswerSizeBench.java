package org.ledgerpki.bench.system;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.note.NoteSigner;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.smt.SmtProof;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * P5, answer size: the bytes of a GOOD status answer (the JSON an inquiry node serves, with the
 * inclusion proof, the cosigned checkpoint, the certificate and the status map's two proofs of
 * absence, at the entry key and at its key's compromised-key key) in a log of N certificates with E
 * status events, computed with core's structures and no Kafka. The log is a real {@link MerkleTree}
 * of N leaves (the certificate asked about has its real MTC entry; the other leaves are distinct
 * hashes, which changes no size); the status log holds E keyCompromise REVOKE events of other
 * entries, each stored in the map at its entry key and its compromised-key key, as {@link
 * StatusLog} does; the checkpoint is signed like the issuance stream signs it (Ed25519 and
 * ML-DSA-44) and cosigned by every member like the cosigners do (Ed25519 {@code cosignature/v1} and
 * ML-DSA-44 {@code subtree/v1}). Every answer is verified offline with {@link StatusVerifier}
 * before it is measured.
 */
@Command(
    name = "answer-size",
    mixinStandardHelpOptions = true,
    description = "P5: size of a GOOD status answer at N certificates (see BENCHMARKS.md).")
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
      description = "Cosigners whose lines the checkpoint carries (default: ${DEFAULT-VALUE}).")
  int cosigners;

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

  /** One measured answer. */
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
    List<String> ids = new ArrayList<>();
    String[] names = {"vendor-a", "operator-b", "operator-c", "operator-d", "operator-e"};
    for (int i = 0; i < cosigners; i++) {
      ids.add(names[i]);
    }
    GeneratedConsortium gc =
        GeneratedConsortium.generate("bench", ids, "32473.1", 2, 2, "seed", "200ms", "1h");
    TrustPolicy policy = TrustPolicyReader.of(gc.document(), "bench");
    StatusVerifier verifier =
        new StatusVerifier(TrustBundle.fromPolicy(policy), Duration.ofSeconds(60));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    KeyPair kp = Keys.generate(SignatureAlgorithm.fromName(alg));
    byte[] der =
        Certificates.der(
            new CertificateBuilder()
                .subject("CN=nf-777777.bench,O=Vendor A")
                .keyPair(kp)
                .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
                .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)))
                .build());
    long index = Math.min(certs - 1, 777_777);
    say(
        "P5 answer size: a GOOD answer for a %s certificate at index %d of a log of %d entries,"
            + " checkpoint cosigned by %d",
        alg, index, certs, cosigners);
    long t = System.nanoTime();
    byte[] entry =
        TbsCertificateLogEntry.fromSubmittedCertificate(der, gc.log().caId())
            .toMtcLogEntry(List.of())
            .encode();
    MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
    tree.append(Rfc9162.leafHash(MtcLogEntry.nullEntry().encode()));
    ByteBuffer counter = ByteBuffer.allocate(8);
    for (long i = 1; i < certs; i++) {
      tree.append(
          i == index ? Rfc9162.leafHash(entry) : Sha256.hash(counter.clear().putLong(i).array()));
    }
    say("  built the log's Merkle tree in %.1f s", (System.nanoTime() - t) / 1e9);
    say("");
    say(
        "| status events | answer JSON bytes | gzip | checkpoint note | entry | inclusion hashes |"
            + " status-map siblings (entry key + compromised-key key; mean, min–max over %d"
            + " keys) |",
        samples);
    say("|---|---|---|---|---|---|---|");
    for (int e : events) {
      Sized s = measure(gc, verifier, tree, index, entry, der, e, now);
      say(
          "| %,d | **%,d** | %,d | %,d | %,d | %d | %d + %d (%.1f, %d–%d) |",
          s.events(),
          s.json(),
          s.gzip(),
          s.note(),
          s.entry(),
          s.inclusionHashes(),
          s.siblings(),
          s.keySiblings(),
          s.meanSiblings(),
          s.minSiblings(),
          s.maxSiblings());
    }
    return 0;
  }

  private Sized measure(
      GeneratedConsortium gc,
      StatusVerifier verifier,
      MerkleTree tree,
      long index,
      byte[] entry,
      byte[] der,
      int eventCount,
      Instant now)
      throws Exception {
    byte[] target = Sha256.hash(der);
    EntryId id = EntryId.of(entry);
    List<byte[]> keys = new ArrayList<>(2 * eventCount);
    List<byte[]> values = new ArrayList<>(2 * eventCount);
    MerkleTree statusLog = new MerkleTree(new InMemoryNodeStore());
    ByteBuffer counter = ByteBuffer.allocate(12);
    long other = 1;
    for (int i = 0; i < eventCount; i++) {
      // keyCompromise revocations of other entries of the log: each is stored at its entry key and
      // at its key's compromised-key key, as StatusLog does. The other leaves of the log stand for
      // entries, so an event's entry hash is the leaf hash of one of them; their subject keys are
      // distinct, so their SPKI hashes are as good as random.
      if (other == index) {
        other++;
      }
      byte[] entryHash =
          other < tree.size()
              ? tree.leafHash(other++)
              : Sha256.hash(counter.clear().putInt(0xe7e7e7e7).putLong(i).array());
      byte[] spki = Sha256.hash(counter.clear().putInt(0x5e5e5e5e).putLong(i).array());
      byte[] cert = Sha256.hash(counter.clear().putInt(0xce47ce47).putLong(i).array());
      StatusEvent ev =
          new StatusEvent(
              i,
              entryHash,
              spki,
              cert,
              CertificateState.REVOKED,
              Lifecycle.Operation.REVOKE,
              Lifecycle.REASON_KEY_COMPROMISE,
              now.toEpochMilli(),
              null);
      byte[] enc = ev.encode();
      keys.add(StatusLog.entryKey(entryHash));
      values.add(enc);
      keys.add(StatusLog.compromisedKeyKey(spki));
      values.add(enc);
      statusLog.append(Rfc9162.leafHash(enc));
    }
    SparseProofs map = new SparseProofs(keys, values);
    byte[] entryKey = StatusLog.entryKey(id.leafHash());
    byte[] keyKey = StatusLog.compromisedKeyKey(id.spkiHash());
    SmtProof sp = map.prove(entryKey);
    SmtProof kp = map.prove(keyKey);
    byte[] mapRoot = sp.rootFor(entryKey, null);
    StatusCommitment commitment = new StatusCommitment(eventCount, statusLog.root(), mapRoot);
    Checkpoint cp =
        new Checkpoint(
            gc.log().origin(), tree.size(), tree.root(), List.of(commitment.extensionLine()));
    // As the issuance stream signs it: Ed25519, then ML-DSA-44.
    List<NoteSigner> signers = List.of(gc.log().noteSigner(), gc.log().mlDsaSigner());
    StringBuilder note = new StringBuilder(Notes.sign(cp.body(), signers));
    // As each cosigner cosigns it: its Ed25519 cosignature/v1 and its ML-DSA-44 subtree/v1 line.
    for (MemberKeys m : gc.members()) {
      note.append(m.ed25519Cosigner().cosign(cp, now.getEpochSecond()).line()).append('\n');
      note.append(m.mlDsaCosigner().cosign(cp, now.getEpochSecond()).line()).append('\n');
    }
    Base64.Encoder b64 = Base64.getEncoder();
    List<String> proof = new ArrayList<>();
    for (byte[] h : tree.inclusionProof(index, tree.size())) {
      proof.add(b64.encodeToString(h));
    }
    List<String> siblings = base64(sp.siblings());
    List<String> keySiblings = base64(kp.siblings());
    // The answer as an inquiry node builds a GOOD one (revocation and reasons null), with the
    // certificate it holds for the entry and both status-map proofs of absence.
    StatusAnswer answer =
        new StatusAnswer(
            Hex.encode(target),
            "GOOD",
            gc.log().origin(),
            index,
            b64.encodeToString(entry),
            proof,
            note.toString(),
            null,
            null,
            new StatusAnswer.StatusProof(
                eventCount,
                null,
                sp.bitmapBase64(),
                siblings,
                null,
                kp.bitmapBase64(),
                keySiblings),
            b64.encodeToString(der),
            now.toString(),
            now.plus(Duration.ofMinutes(5)).toString());
    String json = answer.toJson();
    StatusVerifier.Verified v = verifier.verify(StatusAnswer.fromJson(json), der, now);
    if (!"GOOD".equals(v.status())) {
      throw new IllegalStateException("the answer verified as " + v.status());
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(bytes);
    }
    java.util.Random rnd = new java.util.Random(5);
    long sum = 0;
    int min = Integer.MAX_VALUE;
    int max = 0;
    byte[] k = new byte[32];
    for (int i = 0; i < samples; i++) {
      rnd.nextBytes(k);
      int n = map.siblingCount(k);
      sum += n;
      min = Math.min(min, n);
      max = Math.max(max, n);
    }
    return new Sized(
        eventCount,
        bytes.length,
        gz.size(),
        note.toString().getBytes(StandardCharsets.UTF_8).length,
        entry.length,
        proof.size(),
        siblings.size(),
        keySiblings.size(),
        (double) sum / samples,
        min,
        max);
  }

  private static List<String> base64(List<byte[]> hashes) {
    List<String> out = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      out.add(Base64.getEncoder().encodeToString(h));
    }
    return out;
  }
}
