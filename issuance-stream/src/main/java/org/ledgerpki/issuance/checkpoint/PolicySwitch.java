package org.ledgerpki.issuance.checkpoint;

/**
 * What {@code governance} tells {@code checkpoint} when a policy change took effect: sign a
 * checkpoint now, so that it names the new policy. Passed between processors of one task, never
 * serialized.
 *
 * @param origin the log origin
 * @param serial the serial of the policy now in force
 */
public record PolicySwitch(String origin, long serial) {}
