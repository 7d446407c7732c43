package org.ledgerpki.core.mtc;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The revoked serial ranges an {@link MtcVerifier} refuses (the draft's step 4), merged into
 * sorted, disjoint inclusive bounds and searched by binary search. Serials are unsigned 64-bit.
 * Immutable.
 */
final class RevokedSerials {
  private final long[] first; // sorted, merged, inclusive bounds, unsigned
  private final long[] last;

  /** The union of {@code ranges}; empty ranges are ignored. */
  RevokedSerials(List<RevokedRange> ranges) {
    long[][] merged = merge(ranges);
    this.first = merged[0];
    this.last = merged[1];
  }

  /** Merged range {@code i} as {@code [first, end)} in hex, end exclusive, for messages. */
  String describe(int i) {
    return "["
        + MtcVerifier.serialHex(first[i])
        + ", "
        + RevokedRange.hex(new BigInteger(Long.toUnsignedString(last[i])).add(BigInteger.ONE))
        + ")";
  }

  /** The position of the merged revoked range holding {@code serial}, or -1. */
  int rangeOf(long serial) {
    int lo = 0;
    int hi = first.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(first[mid], serial) > 0) {
        hi = mid - 1;
      } else if (Long.compareUnsigned(last[mid], serial) < 0) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** Sorted, disjoint, non-adjacent inclusive ranges {first[i], last[i]} (unsigned longs). */
  private static long[][] merge(List<RevokedRange> ranges) {
    List<BigInteger[]> list = new ArrayList<>();
    for (RevokedRange r : ranges) {
      if (r.start().compareTo(r.end()) < 0) {
        list.add(new BigInteger[] {r.start(), r.end().subtract(BigInteger.ONE)});
      }
    }
    list.sort(Comparator.comparing(a -> a[0]));
    List<BigInteger[]> merged = new ArrayList<>();
    for (BigInteger[] r : list) {
      BigInteger[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && r[0].compareTo(last[1].add(BigInteger.ONE)) <= 0) {
        last[1] = last[1].max(r[1]);
      } else {
        merged.add(new BigInteger[] {r[0], r[1]});
      }
    }
    long[] first = new long[merged.size()];
    long[] lastIncl = new long[merged.size()];
    for (int i = 0; i < merged.size(); i++) {
      first[i] = merged.get(i)[0].longValue(); // two's complement wrap = unsigned 64-bit
      lastIncl[i] = merged.get(i)[1].longValue();
    }
    return new long[][] {first, lastIncl};
  }
}
