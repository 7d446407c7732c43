package org.ledgerpki.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorMaker2Test {
  @TempDir Path dir;

  @Test
  void refusesAPropertiesFileItCannotRead() {
    Path missing = dir.resolve("mm2.properties");
    assertThatThrownBy(
            () -> MirrorMaker2.start("mirror", missing, "operator", dir, List.of(), null))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing + ": not a readable file");
  }

  @Test
  void itsMainClassIsOnTheBrokersClasspath() {
    // The dedicated driver must be among the jars the child JVM gets.
    assertThat(Resources.brokerClasspath())
        .anyMatch(jar -> Path.of(jar).getFileName().toString().startsWith("connect-mirror-"));
  }
}
