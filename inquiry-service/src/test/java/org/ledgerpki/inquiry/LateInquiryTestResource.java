package org.ledgerpki.inquiry;

import java.util.Map;

/**
 * {@link InquiryTestResource} in its {@code "late"} scenario. A class of its own, because Quarkus
 * tells test resources apart by class, not by their arguments: with the same class and other
 * arguments it would reuse the application started for another test, already caught up.
 */
public class LateInquiryTestResource extends InquiryTestResource {
  @Override
  public void init(Map<String, String> args) {
    super.init(Map.of("scenario", "late"));
  }
}
