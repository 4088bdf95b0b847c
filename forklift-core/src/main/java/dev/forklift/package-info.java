/**
 * Forklift: multiprocessing for the JVM.
 *
 * <p>Layers, each depending only on the ones below it:
 * <pre>
 *   dev.forklift.process   child JVMs: launch, handshake, supervision, log forwarding, exit status
 *   dev.forklift.queue     bounded blocking MPMC queues in shared memory
 *   dev.forklift.shm       the per-user shared-memory directory and memory-mapped files
 *   dev.forklift.codec     message encoding: fast paths, an allow-listed default, the Codec SPI
 * </pre>
 */
package dev.forklift;
