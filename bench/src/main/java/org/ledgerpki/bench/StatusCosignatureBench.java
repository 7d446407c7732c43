package org.ledgerpki.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.note.NoteSignature;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.core.tlog.MlDsaCosigner;
import org.ledgerpki.core.tlog.MlDsaStatusCosignatureVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ADR 0010: what the ML-DSA-44 status cosignature adds per checkpoint: one signature per cosigner
 * ({@link #sign}), one verification per cosigner in the aggregator, each inquiry node and each
 * relying party that requires it ({@link #verify}), over a checkpoint body with its status and
 * policy lines, with Bouncy Castle as the system uses it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StatusCosignatureBench {
  private MlDsaCosigner cosigner;
  private MlDsaStatusCosignatureVerifier verifier;
  private Checkpoint checkpoint;
  private byte[] body;
  private byte[] signature;

  @Setup
  public void setUp() {
    cosigner =
        new MlDsaCosigner(
            "oid/1.3.6.1.4.1.32473.3", Keys.generate(SignatureAlgorithm.ML_DSA_44).getPrivate());
    verifier = cosigner.verifier().statusVerifier();
    checkpoint =
        new Checkpoint(
            "oid/1.3.6.1.4.1.32473.1.0.1",
            100_000,
            new byte[32],
            List.of(
                "ledger-pki-status 1 YTXIMEb1kG6O3JM4uD81i6oPksopg/sMU5ubINR7efQ="
                    + " jegwL3UouEZAuslce+L6EmDVfyWgFdkLJVqnBVeaonM=",
                "ledger-pki-policy 1 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="));
    body = checkpoint.body().getBytes(StandardCharsets.UTF_8);
    signature = cosigner.cosignStatus(checkpoint, 1_767_225_600L).signature();
    if (!verify()) {
      throw new IllegalStateException("the status cosignature does not verify");
    }
  }

  /** A cosigner's status cosignature of the checkpoint: the message and one ML-DSA-44 signature. */
  @Benchmark
  public NoteSignature sign() {
    return cosigner.cosignStatus(checkpoint, 1_767_225_600L);
  }

  /** Its verification as {@code CheckpointVerifier} makes it. */
  @Benchmark
  public boolean verify() {
    return verifier.verify(body, signature);
  }
}
