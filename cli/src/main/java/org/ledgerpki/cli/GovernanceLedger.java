package org.ledgerpki.cli;

import java.util.List;
import org.ledgerpki.schemas.avro.GovernanceAct;

/** What {@code ledgerpki policy} reads from and writes to {@code ledger.governance}. */
public interface GovernanceLedger {
  /** Every act on the topic, in order. */
  List<GovernanceAct> acts();

  /** Writes an act; returns its offset. */
  long write(GovernanceAct act) throws Exception;

  /** The topic's name, for messages. */
  String governanceTopic();
}
