package org.ledgerpki.launcher.keylime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of decided events: durable across reopening, robust to a torn last line. */
class SeenEventsTest {
  private static final String A = "aa".repeat(32);
  private static final String B = "bb".repeat(32);
  private static final String C = "cc".repeat(32);

  @TempDir Path dir;

  @Test
  void aDecidedEventIsStillDecidedAfterReopeningAndAReleasedOneIsNot() throws Exception {
    try (SeenEvents s = SeenEvents.open(dir.resolve("state"))) {
      assertThat(s.claim(A)).isEqualTo(SeenEvents.Claim.CLAIMED);
      assertThat(s.claim(A)).isEqualTo(SeenEvents.Claim.IN_PROGRESS);
      s.decided(A);
      assertThat(s.claim(A)).isEqualTo(SeenEvents.Claim.DECIDED);
      assertThat(s.claim(B)).isEqualTo(SeenEvents.Claim.CLAIMED);
      s.release(B);
    }
    try (SeenEvents s = SeenEvents.open(dir.resolve("state"))) {
      assertThat(s.claim(A)).isEqualTo(SeenEvents.Claim.DECIDED);
      assertThat(s.claim(B)).isEqualTo(SeenEvents.Claim.CLAIMED);
      assertThat(s.decidedCount()).isEqualTo(1);
    }
  }

  @Test
  void aLineTornByACrashIsDroppedAndTheNextRecordIsWhole() throws Exception {
    Path file = dir.resolve(SeenEvents.FILE);
    Files.writeString(
        file, A + " 2024-03-05T14:03:22Z\n" + B.substring(0, 20), StandardCharsets.US_ASCII);
    try (SeenEvents s = SeenEvents.open(dir)) {
      assertThat(s.isDecided(A)).isTrue();
      assertThat(s.isDecided(B)).isFalse();
      assertThat(s.claim(C)).isEqualTo(SeenEvents.Claim.CLAIMED);
      s.decided(C);
    }
    assertThat(Files.readAllLines(file))
        .hasSize(2)
        .satisfies(lines -> assertThat(lines.get(1)).startsWith(C + " "));
    try (SeenEvents s = SeenEvents.open(dir)) {
      assertThat(s.isDecided(C)).isTrue();
      assertThat(s.decidedCount()).isEqualTo(2);
    }
  }

  @Test
  void aMalformedLineStopsTheOpeningNamed() throws Exception {
    Path file = dir.resolve(SeenEvents.FILE);
    Files.writeString(file, A + " t\nnot a key\n" + B + " t\n", StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> SeenEvents.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file + " line 2: expected '<64 hex> <time>', found 'not a key'");
  }
}
