package org.ledgerpki.inquiry.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.inquiry.rest.AnswerForms.Wanted;

/**
 * The one pass over {@code Accept} that the route (strict) and JAX-RS' methods (already negotiated,
 * lenient) share: which form, and when the route must leave a request to JAX-RS (406).
 */
class AnswerFormsTest {
  private static final String C = CompactAnswer.MEDIA_TYPE;

  private static void both(String accept, Wanted expected) {
    assertThat(AnswerForms.wanted(accept, true)).as("strict: %s", accept).isEqualTo(expected);
    assertThat(AnswerForms.wanted(accept, false)).as("lenient: %s", accept).isEqualTo(expected);
  }

  @Test
  void noAcceptOrJsonOrAWildcardFirstIsJson() {
    both(null, Wanted.JSON);
    both("", Wanted.JSON);
    both("application/json", Wanted.JSON);
    both("*/*", Wanted.JSON);
    both("application/*", Wanted.JSON);
    both(C + ";q=0.5, application/json", Wanted.JSON);
    both(C + ";q=0.5, */*;q=0.9", Wanted.JSON);
  }

  @Test
  void theCompactFormRankedFirstOrTiedIsCompact() {
    both(C, Wanted.COMPACT);
    both("application/json;q=0.5, " + C, Wanted.COMPACT);
    both("*/*, " + C, Wanted.COMPACT);
    both("APPLICATION/VND.LEDGERPKI.STATUS-ANSWER", Wanted.COMPACT);
  }

  @Test
  void whatNeitherFormSatisfiesIsNeitherForTheRouteAndJsonAfterJaxRs() {
    for (String accept : new String[] {"text/html", C + ";q=0", "application/json;q=0"}) {
      assertThat(AnswerForms.wanted(accept, true)).as(accept).isEqualTo(Wanted.NEITHER);
      assertThat(AnswerForms.wanted(accept, false)).as(accept).isEqualTo(Wanted.JSON);
    }
  }

  @Test
  void aPartThatDoesNotParseLeavesTheRequestToJaxRsButIsSkippedAfterIt() {
    for (String bad : new String[] {"/", "application/"}) {
      String accept = C + ", " + bad;
      assertThat(AnswerForms.wanted(accept, true)).as(accept).isEqualTo(Wanted.NEITHER);
      assertThat(AnswerForms.wanted(accept, false)).as(accept).isEqualTo(Wanted.COMPACT);
    }
  }
}
