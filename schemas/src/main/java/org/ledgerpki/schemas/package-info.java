/**
 * The ledger's topics and their record formats.
 *
 * <ul>
 *   <li>{@link org.ledgerpki.schemas.Topics}: the typed registry of every topic (names, serdes,
 *       settings); no other code spells a topic name.
 *   <li>{@link org.ledgerpki.schemas.LedgerSerdes}: Avro serdes in the Confluent-compatible {@link
 *       org.ledgerpki.schemas.WireFormat}, against a registry or in memory (ADR 0004).
 *   <li>{@link org.ledgerpki.schemas.TopicProvisioner}: creates missing topics with their settings.
 *   <li>{@code org.ledgerpki.schemas.avro}: the classes generated from {@code src/main/avro}.
 * </ul>
 */
package org.ledgerpki.schemas;
