package org.ledgerpki.bench.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrkResultTest {
  private static final String OUTPUT =
      """
      0x1001: good
      Running 5s test @ http://127.0.0.1:18888/
        2 threads and 32 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency    11.66ms   18.15ms 136.85ms   92.72%
          Req/Sec     2.11k     1.04k    4.65k    54.08%
        Latency Distribution
           50%  607.00us
           75%    9.58ms
           90%   19.57ms
           99%    1.05s
        20829 requests in 5.06s, 16.62MB read
        Socket errors: connect 0, read 3, write 1, timeout 2
        Non-2xx or 3xx responses: 7
      Requests/sec:   4118.79
      Transfer/sec:      3.29MB
      """;

  @Test
  void readsRatePercentilesAndErrors() {
    WrkResult r = WrkResult.parse(OUTPUT);
    assertThat(r.requestsPerSecond()).isEqualTo(4118.79);
    assertThat(r.p50Micros()).isEqualTo(607.0);
    assertThat(r.p99Micros()).isEqualTo(1.05e6);
    assertThat(r.requests()).isEqualTo(20829);
    assertThat(r.non2xx()).isEqualTo(7);
    assertThat(r.socketErrors()).isEqualTo(6);
  }

  @Test
  void cleanRunHasNoErrors() {
    WrkResult r =
        WrkResult.parse(
            OUTPUT
                .replace("  Socket errors: connect 0, read 3, write 1, timeout 2\n", "")
                .replace("  Non-2xx or 3xx responses: 7\n", ""));
    assertThat(r.non2xx()).isZero();
    assertThat(r.socketErrors()).isZero();
  }

  @Test
  void refusesOutputWithoutLatencyDistribution() {
    assertThatThrownBy(() -> WrkResult.parse(OUTPUT.replaceAll("(?m)^\\s*99%.*\\n", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("99%");
    assertThatThrownBy(() -> WrkResult.parse("connection refused"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
