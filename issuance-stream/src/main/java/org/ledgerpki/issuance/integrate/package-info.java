/**
 * Integration ({@code integrate} processor): appends admitted certificates to the log's Merkle tree
 * and granted lifecycle events to its status log, re-checking them under the policy in force at
 * their index, and tells {@code checkpoint} the new tree head.
 */
package org.ledgerpki.issuance.integrate;
