package org.ledgerpki.bench;

import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import org.ledgerpki.core.merkle.Rfc9162;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** P1: SHA-256 of a 65-byte Merkle node (0x01 ‖ left ‖ right), bare and through core's hasher. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HashBench {
  private MessageDigest sha256;
  private final byte[] node = new byte[65];
  private final byte[] left = new byte[32];
  private final byte[] right = new byte[32];

  @Setup
  public void setUp() throws Exception {
    sha256 = MessageDigest.getInstance("SHA-256");
    node[0] = 1;
    for (int i = 0; i < 32; i++) {
      left[i] = (byte) i;
      right[i] = (byte) (255 - i);
      node[1 + i] = left[i];
      node[33 + i] = right[i];
    }
  }

  /** The bare cost: one SHA-256 over 65 bytes (two compressions). */
  @Benchmark
  public byte[] sha256Of65Bytes() {
    return sha256.digest(node);
  }

  /** The same through {@link Rfc9162#nodeHash}, as the verifiers call it. */
  @Benchmark
  public byte[] nodeHash() {
    return Rfc9162.nodeHash(left, right);
  }
}
