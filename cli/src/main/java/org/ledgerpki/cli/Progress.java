package org.ledgerpki.cli;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on a terminal; silent when the stream is null. */
public final class Progress {
  private final PrintStream out;
  private final String label;
  private final long total;
  private long lastDraw;

  public Progress(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = total;
  }

  public void update(long done) {
    if (out == null) {
      return;
    }
    long now = System.nanoTime();
    if (done < total && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    int width = 30;
    int filled = total == 0 ? width : (int) (width * done / total);
    out.printf(
        Locale.ROOT,
        "\r%-12s [%s%s] %d/%d",
        label,
        "#".repeat(filled),
        ".".repeat(width - filled),
        done,
        total);
    out.flush();
  }

  public void finish() {
    if (out != null) {
      update(total);
      out.println();
    }
  }
}
