package org.ledgerpki.bench.system;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusCheckpoints;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;

/**
 * The ledger the answer-size benchmark measures answers of, built with core's structures and no
 * Kafka: a consortium, a real {@link MerkleTree} log with the real MTC entry of a fresh
 * certificate, the status map at a number of events, the checkpoint note as the aggregator
 * publishes it, and the answer an inquiry node builds from them.
 */
final class SizedLedger {
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final String[] NAMES = {
    "vendor-a", "operator-b", "operator-c", "operator-d", "operator-e"
  };

  private SizedLedger() {}

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

  static List<String> base64(List<byte[]> hashes) {
    List<String> out = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      out.add(B64.encodeToString(h));
    }
    return out;
  }
}
