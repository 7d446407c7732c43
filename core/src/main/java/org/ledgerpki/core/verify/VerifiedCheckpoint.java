package org.ledgerpki.core.verify;

import java.util.List;
import org.ledgerpki.core.tlog.Checkpoint;

/**
 * A checkpoint whose log signature and cosigner quorum verified.
 *
 * @param cosigners the distinct cosigner names whose signatures verified, sorted
 * @param bodyCosigners those among them whose Ed25519 {@code cosignature/v1} signature verified:
 *     only these cover the checkpoint's extension lines (the status commitment)
 * @param latestCosignatureTime the newest cosignature timestamp (POSIX seconds), 0 if none carry
 *     one
 * @param bodyCosignatureTimes for each of {@code bodyCosigners}, the newest timestamp (POSIX
 *     seconds) of its verified {@code cosignature/v1} signatures: the signed time freshness rests
 *     on
 * @param statusCosignatureTimes for each cosigner whose ML-DSA-44 status cosignature (type 0xff,
 *     ADR 0010) verified, the newest timestamp (POSIX seconds) of those signatures: the
 *     post-quantum signed time a bundle that requires them takes freshness from as well
 */
public record VerifiedCheckpoint(
    Checkpoint checkpoint,
    String note,
    List<String> cosigners,
    List<String> bodyCosigners,
    long latestCosignatureTime,
    java.util.SortedMap<String, Long> bodyCosignatureTimes,
    java.util.SortedMap<String, Long> statusCosignatureTimes) {

  /**
   * The cosigners whose {@code cosignature/v1} timestamp lies in {@code [now − maxAge, now +
   * maxSkew]}, POSIX seconds.
   */
  public List<String> freshCosigners(long nowSeconds, long maxAgeSeconds, long maxSkewSeconds) {
    return fresh(bodyCosignatureTimes, nowSeconds, maxAgeSeconds, maxSkewSeconds);
  }

  /**
   * The cosigners whose ML-DSA-44 status cosignature timestamp lies in {@code [now − maxAge, now +
   * maxSkew]}, POSIX seconds.
   */
  public List<String> freshStatusCosigners(
      long nowSeconds, long maxAgeSeconds, long maxSkewSeconds) {
    return fresh(statusCosignatureTimes, nowSeconds, maxAgeSeconds, maxSkewSeconds);
  }

  private static List<String> fresh(
      java.util.SortedMap<String, Long> times,
      long nowSeconds,
      long maxAgeSeconds,
      long maxSkewSeconds) {
    List<String> fresh = new java.util.ArrayList<>();
    times.forEach(
        (name, t) -> {
          if (t >= nowSeconds - maxAgeSeconds && t <= nowSeconds + maxSkewSeconds) {
            fresh.add(name);
          }
        });
    return fresh;
  }
}
