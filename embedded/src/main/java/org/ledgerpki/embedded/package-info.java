/**
 * A real Kafka broker and schema registry for the integration tests and the demo.
 *
 * <ul>
 *   <li>{@link org.ledgerpki.embedded.KafkaFixture}: the single entry point (Docker through
 *       Testcontainers when available, child JVMs otherwise), shared per test JVM with {@link
 *       org.ledgerpki.embedded.KafkaFixture#shared()} or {@link
 *       org.ledgerpki.embedded.KafkaFixtureExtension}.
 *   <li>{@link org.ledgerpki.embedded.EmbeddedKafka}: KRaft nodes (1, or 3 for fault tests) as
 *       child JVMs, with {@code kill} and {@code restart}.
 *   <li>{@link org.ledgerpki.embedded.EmbeddedRegistry}: Apicurio Registry as a child JVM.
 * </ul>
 *
 * <p>Child JVMs never outlive the JVM that started them: a shutdown hook stops them, and if that
 * JVM is killed, they see their standard input close and exit ({@code internal.ChildMain}).
 */
package org.ledgerpki.embedded;
