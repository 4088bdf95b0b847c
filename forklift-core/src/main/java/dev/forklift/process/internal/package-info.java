/**
 * Implementation of {@link dev.forklift.process}: launcher ({@code Launcher}, {@code LaunchPlan}), control channel
 * ({@code ControlServer}, {@code Frames}, {@code ChildSpec}, {@code ThrowableEnvelope}), the child's main class
 * ({@code ChildMain}), the parent's handle ({@code ChildProcessImpl}), output pumps ({@code OutputPump}) and the
 * status board ({@code StatusBoardDescriptor}, {@code StatusBoard}, {@code StatusRow}).
 *
 * <p>Not API: public only so the public package can use it; may change without notice.
 */
package dev.forklift.process.internal;
