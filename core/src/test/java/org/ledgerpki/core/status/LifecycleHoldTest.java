package org.ledgerpki.core.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.status.Lifecycle.Requester;

/** Who placed a hold must lift it. */
class LifecycleHoldTest {

  @Test
  void theOwnerLiftsItsOwnHold() {
    assertTrue(Lifecycle.holdProblem(Requester.OWNER, Requester.OWNER).isEmpty());
  }

  @Test
  void othersLiftTheirOwnHold() {
    assertTrue(Lifecycle.holdProblem(Requester.OTHERS, Requester.OTHERS).isEmpty());
  }

  @Test
  void theOwnerAloneCannotLiftAHoldPlacedByOthers() {
    String why = Lifecycle.holdProblem(Requester.OTHERS, Requester.OWNER).orElseThrow();
    assertTrue(why.contains("placed by a quorum of members other than the owner"), why);
  }

  @Test
  void othersCannotLiftTheOwnersHold() {
    String why = Lifecycle.holdProblem(Requester.OWNER, Requester.OTHERS).orElseThrow();
    assertTrue(why.contains("placed by the owner"), why);
  }

  @Test
  void aHoldOfUnknownPlacerIsNotLiftedByTheOwner() {
    assertTrue(Lifecycle.holdProblem(null, Requester.OWNER).isPresent());
    assertTrue(Lifecycle.holdProblem(null, Requester.OTHERS).isEmpty());
  }

  @Test
  void theRequesterClassIsOwnerOnlyForTheOwnerAlone() {
    assertEquals(Requester.OWNER, Requester.of("a", List.of("a")));
    assertEquals(Requester.OTHERS, Requester.of("a", List.of("b", "c")));
    assertEquals(Requester.OTHERS, Requester.of("a", List.of("a", "b")));
  }
}
