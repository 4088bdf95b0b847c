/**
 * Child JVM processes: start a {@link dev.forklift.process.ProcessTask} in a new JVM, supervise it, learn how it
 * ended.
 *
 * <p>Entry points: {@link dev.forklift.process.ChildProcess#builder} (configure and start one child),
 * {@link dev.forklift.process.ChildProcessBuilder#startAll} (start several in parallel),
 * {@link dev.forklift.process.ProcessTable} (the live table of Forklift processes, readable from any process).
 *
 * <p>How it works, in short:
 * <ul>
 *   <li>Each parent process opens one Unix-domain server socket in the owner-only shared-memory directory. A child
 *       JVM is launched with the parent's java binary, the class path, its JVM options and
 *       {@code -Dforklift.role=... -Dforklift.name=...}; its main class connects back, proves itself with a random
 *       token, receives its task and arguments, decodes them, and reports ready (or why it cannot start).</li>
 *   <li>The connection stays open for the child's life. The child reports the outcome of its task (returned, or the
 *       exception it threw) on it before exiting. A daemon thread in the child blocks reading it: end-of-stream
 *       means the parent died (the kernel closes the parent's end however it dies, {@code kill -9} included), and
 *       the child halts at once.</li>
 *   <li>The parent learns of a child's exit through {@link java.lang.Process#onExit()} and combines the exit code
 *       with the reported outcome into an {@link dev.forklift.process.ExitStatus}.</li>
 *   <li>Child stdout and stderr are pumped line by line, prefixed with {@code [name pid] }, to a
 *       {@link dev.forklift.process.ChildOutput}.</li>
 *   <li>A shared-memory status board per parent holds one row per process (identity, state, items done,
 *       heartbeat); see {@link dev.forklift.process.internal.StatusBoardDescriptor}.</li>
 * </ul>
 */
package dev.forklift.process;
