package org.ledgerpki.schemas.inquiry;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.mtc.RevokedRange;

/**
 * The answer of {@code GET /v1/revocations} (docs/inquiry-api.md), written by the inquiry node and
 * read by clients through {@link InquiryJson}: the entries of a log that are revoked or suspended,
 * as the status map of the latest cosigned checkpoint records them, and the same as half-open
 * ranges of MTC serial numbers ({@code (log_number << 48) | index}), the form in which the MTC
 * draft's relying parties keep revoked ranges. A suspended entry is listed too: a relying party
 * must not accept it until it is resumed.
 *
 * @param log the log origin
 * @param logNumber its MTC log number
 * @param checkpointSize the size of the cosigned checkpoint the list is taken from
 * @param statusEvents how many status events that checkpoint commits to
 * @param checkpoint that checkpoint's note, with its cosignatures
 * @param revokedRanges merged half-open serial ranges {@code [start, end)}
 * @param entries each revoked or suspended entry, by index
 */
public record RevocationList(
    String log,
    int logNumber,
    long checkpointSize,
    long statusEvents,
    String checkpoint,
    List<RevokedRange> revokedRanges,
    List<Entry> entries) {

  /** A revoked or suspended entry. */
  public record Entry(
      long index,
      BigInteger serial,
      String certificateSha256,
      String state,
      String reason,
      long sequence,
      String effectiveAt) {}

  /** Merges the entries' serials (sorted by index) into maximal half-open ranges. */
  public static List<RevokedRange> ranges(List<Entry> sortedByIndex) {
    List<RevokedRange> out = new ArrayList<>();
    BigInteger start = null;
    BigInteger end = null;
    for (Entry e : sortedByIndex) {
      if (end != null && e.serial().equals(end)) {
        end = end.add(BigInteger.ONE);
        continue;
      }
      if (start != null) {
        out.add(new RevokedRange(start, end));
      }
      start = e.serial();
      end = e.serial().add(BigInteger.ONE);
    }
    if (start != null) {
      out.add(new RevokedRange(start, end));
    }
    return out;
  }
}
