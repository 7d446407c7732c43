package org.ledgerpki.bench.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void nearestRank() {
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i; // unsorted: 100 .. 1
    }
    Percentiles p = new Percentiles(v);
    assertThat(p.count()).isEqualTo(100);
    assertThat(p.at(50)).isEqualTo(50);
    assertThat(p.at(99)).isEqualTo(99);
    assertThat(p.at(100)).isEqualTo(100);
    assertThat(p.at(0.1)).isEqualTo(1);
    assertThat(new Percentiles(new long[] {7}).at(99)).isEqualTo(7);
    assertThat(new Percentiles(new long[0]).at(50)).isZero();
  }

  @Test
  void p99OfAThousandIsThe990th() {
    long[] v = new long[1000];
    for (int i = 0; i < 1000; i++) {
      v[i] = i + 1;
    }
    assertThat(new Percentiles(v).at(99)).isEqualTo(990);
  }
}
