/**
 * Governance ({@code governance} processor): collects signed proposals and approvals and sequences
 * the policy changes that reach the governance quorum on {@code ledger.policy}.
 */
package org.ledgerpki.issuance.governance;
