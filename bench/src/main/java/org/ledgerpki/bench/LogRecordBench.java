package org.ledgerpki.bench;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.evidence.BatchEvidence;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ADR 0012: what the log's signature on each record costs. The issuance stream signs every entry,
 * status event and decision it publishes ({@link #signEntry}, {@link #signDecision}); every reader
 * (each cosigner, validator and inquiry node) checks each one on arrival ({@link #checkEntry},
 * {@link #checkStatus}, {@link #checkDecision}; decisions only the inquiry node and the audit), as
 * {@code LogRecords} does it: the statement (SHA-256 of the MTC entry and of the certificate, the
 * fields) and one Ed25519 signature or verification with Bouncy Castle, the key adopted once. The
 * record is sized like the demo's: a 1,100-byte MTC log entry and a 1,000-byte certificate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LogRecordBench {
  private PrivateKey logPrivate;
  private PublicKey logPublic;
  private LedgerEntry entry;
  private StatusEntry status;
  private Decision decision;

  @Setup
  public void setUp() {
    KeyPair log = Keys.generate(SignatureAlgorithm.ED25519);
    logPrivate = Signatures.defaults().adopt(log.getPrivate());
    logPublic = Signatures.defaults().adopt(log.getPublic());
    Random random = new Random(12);
    byte[] mtcEntry = new byte[1_100];
    byte[] certificate = new byte[1_000];
    random.nextBytes(mtcEntry);
    random.nextBytes(certificate);
    entry =
        LedgerEntry.newBuilder()
            .setOrigin("oid/1.3.6.1.4.1.32473.1.0.1")
            .setLogNumber(1)
            .setIndex(777_777)
            .setEntry(ByteBuffer.wrap(mtcEntry))
            .setCertificate(ByteBuffer.wrap(certificate))
            .setCertificateSha256(ByteBuffer.wrap(Sha256.hash(certificate)))
            .setSubmissionId("00000000-0000-4000-8000-000000000001")
            .setSubmitter("vendor-a")
            .setEvidence(endorsements(Sha256.hash(certificate), random))
            .setSequencedAt(Instant.ofEpochMilli(1_767_225_600_000L))
            .build();
    byte[] event = new byte[120];
    random.nextBytes(event);
    status =
        StatusEntry.newBuilder()
            .setOrigin("oid/1.3.6.1.4.1.32473.1.0.1")
            .setLogNumber(1)
            .setSequence(4_242)
            .setEvent(ByteBuffer.wrap(event))
            .setCertificateSha256(ByteBuffer.wrap(Sha256.hash(certificate)))
            .setOperation(Operation.REVOKE)
            .setReasonCode(1)
            .setOwner("vendor-a")
            .setRequests(List.of())
            .setEvidence(endorsements(Sha256.hash(certificate), random))
            .setSequencedAt(Instant.ofEpochMilli(1_767_225_600_000L))
            .build();
    decision =
        Decision.newBuilder()
            .setOrigin("oid/1.3.6.1.4.1.32473.1.0.1")
            .setSubmissionId("00000000-0000-4000-8000-000000000001")
            .setOperation(Operation.ISSUE)
            .setSubmitter("vendor-a")
            .setCertificateSha256(ByteBuffer.wrap(Sha256.hash(certificate)))
            .setOutcome(Outcome.ACCEPTED)
            .setReasons(List.of())
            .setEvidence(endorsements(Sha256.hash(certificate), random))
            .setDecidedAt(Instant.ofEpochMilli(1_767_225_600_000L))
            .build();
    LogRecords.sign(entry, logPrivate);
    LogRecords.sign(status, logPrivate);
    LogRecords.sign(decision, logPrivate);
    if (!checkEntry() || !checkStatus() || !checkDecision()) {
      throw new IllegalStateException("a signed record does not verify");
    }
  }

  /**
   * Three validators' ENDORSE verdicts, each with a batch signature as a batch of 256 gives it (an
   * 8-hash proof, a 64-byte Ed25519 signature): what the evidence digest hashes.
   */
  private static List<Endorsement> endorsements(byte[] certificateSha256, Random random) {
    List<Endorsement> out = new ArrayList<>();
    for (String validator : List.of("vendor-a", "operator-b", "ca-c")) {
      List<byte[]> proof = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        byte[] h = new byte[32];
        random.nextBytes(h);
        proof.add(h);
      }
      byte[] signature = new byte[64];
      random.nextBytes(signature);
      out.add(
          Endorsement.newBuilder()
              .setSubmissionId("00000000-0000-4000-8000-000000000001")
              .setOperation(Operation.ISSUE)
              .setSubmitter("vendor-a")
              .setCertificateSha256(ByteBuffer.wrap(certificateSha256))
              .setValidator(validator)
              .setVerdict(Verdict.ENDORSE)
              .setReasons(List.of())
              .setValidatedAt(Instant.ofEpochMilli(1_767_225_600_000L))
              .setSignature(
                  Evidence.signature(
                      new BatchEvidence(validator, "0011223344556677", 256, 17, proof, signature)))
              .build());
    }
    return out;
  }

  /** The issuance stream signs one entry: its statement and one Ed25519 signature. */
  @Benchmark
  public LedgerEntry signEntry() {
    return LogRecords.sign(entry, logPrivate);
  }

  /** A reader checks one entry on arrival. */
  @Benchmark
  public boolean checkEntry() {
    return LogRecords.problem(entry, logPublic) == null;
  }

  /** A reader checks one status event on arrival. */
  @Benchmark
  public boolean checkStatus() {
    return LogRecords.problem(status, logPublic) == null;
  }

  /** The issuance stream signs one decision (with its three verdicts as evidence). */
  @Benchmark
  public Decision signDecision() {
    return LogRecords.sign(decision, logPrivate);
  }

  /** An inquiry node checks one decision on arrival. */
  @Benchmark
  public boolean checkDecision() {
    return LogRecords.problem(decision, logPublic) == null;
  }
}
