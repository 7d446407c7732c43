package org.ledgerpki.bench.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
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
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.HeldCheckpoints;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusCheckpoints;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
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
  /** P4's goal for a GOOD answer that carries its checkpoint. */
  public static final int GOAL_GOOD = 1_500;

  /** P4's goal for a GOOD answer to a client that holds the checkpoint. */
  public static final int GOAL_GOOD_HELD = 700;

  /** P4's goal for a REVOKED answer. */
  public static final int GOAL_REVOKED = 2_000;

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

  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final String[] NAMES = {
    "vendor-a", "operator-b", "operator-c", "operator-d", "operator-e"
  };

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

  /**
   * One served form of a P4 answer, measured after it verified.
   *
   * @param status GOOD or REVOKED, as the answer says and as it verified
   * @param form which form, as the table names it
   * @param held whether the checkpoint note is left out (the client holds it)
   * @param compact whether it is {@link CompactAnswer}'s binary form (else JSON)
   * @param body the bytes served
   * @param note the bytes of {@code body} that are the checkpoint note (in JSON: its string
   *     literal)
   * @param certificate the bytes of {@code body} that are the certificate (in JSON: base64, quoted)
   * @param goal P4's goal for this form, in bytes
   * @param verifiedAs the status {@link StatusVerifier} proved for it
   */
  public record Form(
      String status,
      String form,
      boolean held,
      boolean compact,
      byte[] body,
      int note,
      int certificate,
      int goal,
      String verifiedAs) {
    public int bytes() {
      return body.length;
    }

    public boolean met() {
      return body.length <= goal;
    }
  }

  /** The consortium, the log and the certificate asked about, shared by every answer of a run. */
  record Setup(
      GeneratedConsortium gc,
      TrustPolicy policy,
      StatusVerifier verifier,
      Instant now,
      byte[] der,
      byte[] entry,
      MerkleTree tree,
      long index) {}

  /**
   * The status log at one event count: the map's proofs for the certificate asked about, the
   * commitment and, for a REVOKED state, its revocation event (null for GOOD).
   */
  record State(
      int otherEvents,
      SparseProofs map,
      SmtProof entryProof,
      SmtProof keyProof,
      StatusCommitment commitment,
      StatusEvent revocation) {}

  @Override
  public Integer call() throws Exception {
    say(
        "P5 answer size: a GOOD answer for a %s certificate at index %d of a log of %d entries,"
            + " checkpoint cosigned by %d",
        alg, Math.min(certs - 1, 777_777), certs, cosigners);
    long t = System.nanoTime();
    Setup s = setUp(certs, Math.max(cosigners, p4Cosigners), alg);
    say("  built the log's Merkle tree in %.1f s", (System.nanoTime() - t) / 1e9);
    say("");
    say(
        "| status events | answer JSON bytes | gzip | checkpoint note | entry | inclusion hashes |"
            + " status-map siblings (entry key + compromised-key key; mean, min–max over %d"
            + " keys) |",
        samples);
    say("|---|---|---|---|---|---|---|");
    List<State[]> states = new ArrayList<>();
    for (int e : events) {
      State[] both = states(s, e);
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
    for (State[] both : states) {
      say("");
      say(
          "P4 answer forms at %,d certificates and %,d other status events; checkpoint cosigned by"
              + " %d (quorum %d); goals: GOOD ≤ %,d, GOOD to a client holding the checkpoint ≤ %,d,"
              + " REVOKED ≤ %,d bytes",
          certs,
          both[0].otherEvents(),
          p4Cosigners,
          s.policy().cosignerQuorum(),
          GOAL_GOOD,
          GOAL_GOOD_HELD,
          GOAL_REVOKED);
      List<List<Form>> measured = new ArrayList<>();
      for (State st : both) {
        measured.add(forms(s, st, p4Cosigners));
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
      for (List<Form> forms : measured) {
        for (Form f : forms) {
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
            forms.get(0).status(), gzip(forms.get(0).body()));
      }
    }
    return 0;
  }

  /**
   * A consortium of {@code members} members (cosigner quorum 2), a log of {@code certs} leaves with
   * the real MTC entry of a fresh certificate at index min(certs - 1, 777,777).
   */
  static Setup setUp(long certs, int members, String alg) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      ids.add(NAMES[i]);
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
    return new Setup(gc, policy, verifier, now, der, entry, tree, index);
  }

  /**
   * The status log with {@code eventCount} keyCompromise revocations of other entries (GOOD for the
   * certificate asked about), and the same followed by the keyCompromise revocation of the
   * certificate asked about (REVOKED), as {@link StatusLog#apply} stores them.
   */
  static State[] states(Setup s, int eventCount) throws MalformedInputException {
    EntryId id = EntryId.of(s.entry());
    List<byte[]> keys = new ArrayList<>(2 * eventCount + 2);
    List<byte[]> values = new ArrayList<>(2 * eventCount + 2);
    MerkleTree statusLog = new MerkleTree(new InMemoryNodeStore());
    ByteBuffer counter = ByteBuffer.allocate(12);
    long other = 1;
    for (int i = 0; i < eventCount; i++) {
      // keyCompromise revocations of other entries of the log: each is stored at its entry key and
      // at its key's compromised-key key, as StatusLog does. The other leaves of the log stand for
      // entries, so an event's entry hash is the leaf hash of one of them; their subject keys are
      // distinct, so their SPKI hashes are as good as random.
      if (other == s.index()) {
        other++;
      }
      byte[] entryHash =
          other < s.tree().size()
              ? s.tree().leafHash(other++)
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
              s.now().toEpochMilli(),
              null);
      byte[] enc = ev.encode();
      keys.add(StatusLog.entryKey(entryHash));
      values.add(enc);
      keys.add(StatusLog.compromisedKeyKey(spki));
      values.add(enc);
      statusLog.append(Rfc9162.leafHash(enc));
    }
    State good = state(eventCount, keys, values, statusLog.root(), eventCount, id, null);
    // The certificate asked about revoked for keyCompromise: the entry's latest event, and the
    // first compromise report of its key, so both proofs carry it (the larger REVOKED answer).
    StatusEvent revocation =
        new StatusEvent(
            eventCount,
            id.leafHash(),
            id.spkiHash(),
            Sha256.hash(s.der()),
            CertificateState.REVOKED,
            Lifecycle.Operation.REVOKE,
            Lifecycle.REASON_KEY_COMPROMISE,
            s.now().minusSeconds(30).toEpochMilli(),
            null);
    byte[] enc = revocation.encode();
    keys.add(StatusLog.entryKey(id.leafHash()));
    values.add(enc);
    keys.add(StatusLog.compromisedKeyKey(id.spkiHash()));
    values.add(enc);
    statusLog.append(Rfc9162.leafHash(enc));
    State revoked =
        state(eventCount, keys, values, statusLog.root(), eventCount + 1, id, revocation);
    return new State[] {good, revoked};
  }

  private static State state(
      int otherEvents,
      List<byte[]> keys,
      List<byte[]> values,
      byte[] statusLogRoot,
      long count,
      EntryId id,
      StatusEvent revocation)
      throws MalformedInputException {
    SparseProofs map = new SparseProofs(keys, values);
    byte[] entryKey = StatusLog.entryKey(id.leafHash());
    SmtProof sp = map.prove(entryKey);
    SmtProof kp = map.prove(StatusLog.compromisedKeyKey(id.spkiHash()));
    byte[] mapRoot = sp.rootFor(entryKey, revocation == null ? null : revocation.encode());
    return new State(
        otherEvents, map, sp, kp, new StatusCommitment(count, statusLogRoot, mapRoot), revocation);
  }

  /**
   * The checkpoint note at this state as the aggregator publishes it: signed by the log (Ed25519,
   * then ML-DSA-44) and cosigned by the first {@code n} members (each an Ed25519 {@code
   * cosignature/v1} and an ML-DSA-44 {@code subtree/v1} line).
   */
  static String note(Setup s, State st, int n) {
    Checkpoint cp =
        new Checkpoint(
            s.gc().log().origin(),
            s.tree().size(),
            s.tree().root(),
            List.of(st.commitment().extensionLine()));
    List<NoteSigner> signers = List.of(s.gc().log().noteSigner(), s.gc().log().mlDsaSigner());
    StringBuilder note = new StringBuilder(Notes.sign(cp.body(), signers));
    for (MemberKeys m : s.gc().members().subList(0, n)) {
      note.append(m.ed25519Cosigner().cosign(cp, s.now().getEpochSecond()).line()).append('\n');
      note.append(m.mlDsaCosigner().cosign(cp, s.now().getEpochSecond()).line()).append('\n');
    }
    return note.toString();
  }

  /**
   * The answer an inquiry node builds at this state against {@code note}, naming it, with the
   * certificate it holds and, for REVOKED, the {@code revocation} object as the node writes it.
   */
  static StatusAnswer answer(Setup s, State st, String note) throws Exception {
    List<String> proof = base64(s.tree().inclusionProof(s.index(), s.tree().size()));
    StatusEvent r = st.revocation();
    String event = r == null ? null : B64.encodeToString(r.encode());
    Map<String, Object> revocation = null;
    if (r != null) {
      revocation = new LinkedHashMap<>();
      revocation.put("state", r.state().name());
      revocation.put("reason", Lifecycle.reasonName(r.reasonCode()));
      revocation.put("reasonCode", r.reasonCode());
      revocation.put("revokedAt", Instant.ofEpochMilli(r.effectiveAtMillis()).toString());
      revocation.put("operation", r.operation().name());
      revocation.put("sequence", r.sequence());
    }
    return new StatusAnswer(
        Hex.encode(Sha256.hash(s.der())),
        r == null ? "GOOD" : "REVOKED",
        s.gc().log().origin(),
        s.index(),
        B64.encodeToString(s.entry()),
        proof,
        note,
        StatusCheckpoints.sha256(note),
        revocation,
        null,
        new StatusAnswer.StatusProof(
            st.commitment().count(),
            event,
            st.entryProof().bitmapBase64(),
            base64(st.entryProof().siblings()),
            event,
            st.keyProof().bitmapBase64(),
            base64(st.keyProof().siblings())),
        B64.encodeToString(s.der()),
        s.now().toString(),
        s.now().plus(Duration.ofMinutes(5)).toString());
  }

  private Sized measure(Setup s, State st) throws Exception {
    String note = note(s, st, cosigners);
    String json = answer(s, st, note).toJson();
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
        gzip(bytes),
        note.getBytes(StandardCharsets.UTF_8).length,
        s.entry().length,
        s.tree().inclusionProof(s.index(), s.tree().size()).size(),
        st.entryProof().siblings().size(),
        st.keyProof().siblings().size(),
        (double) sum / samples,
        min,
        max);
  }

  /**
   * The six P4 forms of the answer at this state, with the checkpoint cosigned by the first {@code
   * n} members, each verified as its client would verify it.
   *
   * @throws IllegalStateException if a form does not verify with the answer's status
   */
  static List<Form> forms(Setup s, State st, int n) throws Exception {
    String full = note(s, st, n);
    String statusForm = StatusCheckpoints.statusForm(full);
    StatusAnswer a = answer(s, st, full);
    String status = a.status();
    int goal = st.revocation() == null ? GOAL_GOOD : GOAL_REVOKED;
    int heldGoal = st.revocation() == null ? GOAL_GOOD_HELD : GOAL_REVOKED;
    byte[] target = Sha256.hash(s.der());
    StatusVerifier verifier = s.verifier();
    Instant now = s.now();
    // The relying party that holds the checkpoint fetched and verified the full note before.
    HeldCheckpoints held = new HeldCheckpoints(TrustBundle.fromPolicy(s.policy()));
    held.hold(full);
    // In JSON, the certificate is a quoted base64 string; the note's string literal takes the place
    // of a null when it is left out, so it is the difference between forms (1) and (2) plus 4.
    int certLiteral = a.certificate().length() + 2;
    int statusNote = utf8(statusForm).length;
    int der = s.der().length;
    List<Form> out = new ArrayList<>();

    byte[] j1 = utf8(a.toJson());
    byte[] j2 = utf8(a.withoutCheckpoint().toJson());
    int noteLiteral = j1.length - j2.length + "null".length();
    String v1 = verifier.verifyByHash(StatusAnswer.fromJson(str(j1)), target, now, null).status();
    out.add(
        new Form(
            status,
            "(1) JSON as served, full note",
            false,
            false,
            j1,
            noteLiteral,
            certLiteral,
            goal,
            v1));

    String v2 = verifier.verifyByHash(StatusAnswer.fromJson(str(j2)), target, now, held).status();
    out.add(
        new Form(
            status, "(2) JSON, checkpoint held", true, false, j2, 0, certLiteral, heldGoal, v2));

    StatusAnswer statusFormed = with(a, statusForm, a.certificate());
    byte[] c3 = CompactAnswer.encode(statusFormed);
    String v3 = verifier.verifyByHash(CompactAnswer.decode(c3), target, now, null).status();
    out.add(
        new Form(
            status,
            "(3) compact, by hash (status-form note, certificate)",
            false,
            true,
            c3,
            statusNote,
            der,
            goal,
            v3));

    byte[] c4 = CompactAnswer.encode(with(a, statusForm, null));
    String v4 = verifier.verify(CompactAnswer.decode(c4), s.der(), now, null).status();
    out.add(
        new Form(
            status,
            "(4) compact, query carries the certificate (status-form note)",
            false,
            true,
            c4,
            statusNote,
            0,
            goal,
            v4));

    byte[] c5 = CompactAnswer.encode(with(a, null, a.certificate()));
    String v5 = verifier.verifyByHash(CompactAnswer.decode(c5), target, now, held).status();
    out.add(
        new Form(
            status,
            "(5) compact + held, by hash (certificate)",
            true,
            true,
            c5,
            0,
            der,
            heldGoal,
            v5));

    byte[] c6 = CompactAnswer.encode(with(a, null, null));
    String v6 = verifier.verify(CompactAnswer.decode(c6), s.der(), now, held).status();
    out.add(
        new Form(
            status,
            "(6) compact + held, query carries the certificate",
            true,
            true,
            c6,
            0,
            0,
            heldGoal,
            v6));

    for (Form f : out) {
      if (!status.equals(f.verifiedAs())) {
        throw new IllegalStateException(
            f.form() + ": expected it to verify as " + status + ", found " + f.verifiedAs());
      }
    }
    return out;
  }

  /** {@code a} with this checkpoint note (null: left out) and certificate (null: left out). */
  private static StatusAnswer with(StatusAnswer a, String checkpoint, String certificate) {
    return new StatusAnswer(
        a.certificateSha256(),
        a.status(),
        a.log(),
        a.index(),
        a.entry(),
        a.inclusionProof(),
        checkpoint,
        a.checkpointSha256(),
        a.revocation(),
        a.reasons(),
        a.statusProof(),
        certificate,
        a.producedAt(),
        a.nextUpdate());
  }

  static int gzip(byte[] bytes) {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return gz.size();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static List<String> base64(List<byte[]> hashes) {
    List<String> out = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      out.add(B64.encodeToString(h));
    }
    return out;
  }
}
