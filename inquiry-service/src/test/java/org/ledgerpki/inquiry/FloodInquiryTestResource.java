package org.ledgerpki.inquiry;

import java.util.Map;

/**
 * {@link InquiryTestResource} in its {@code "flood"} scenario, a class of its own for the reason
 * {@link LateInquiryTestResource} gives.
 */
public class FloodInquiryTestResource extends InquiryTestResource {
  @Override
  public void init(Map<String, String> args) {
    super.init(Map.of("scenario", "flood"));
  }
}
