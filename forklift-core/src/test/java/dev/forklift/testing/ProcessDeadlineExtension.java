package dev.forklift.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Enforces {@link ProcessDeadline}: runs the test method on its own thread as usual while a watchdog thread waits
 * for the deadline; see {@link ProcessDeadline} for what happens when it passes.
 */
public final class ProcessDeadlineExtension implements InvocationInterceptor {
    @Override
    public void interceptTestMethod(final Invocation<Void> invocation,
        final ReflectiveInvocationContext<Method> invocationContext, final ExtensionContext extensionContext)
        throws Throwable {
        final int seconds = AnnotationSupport.findAnnotation(extensionContext.getRequiredTestMethod(),
                ProcessDeadline.class)
            .or(() -> AnnotationSupport.findAnnotation(extensionContext.getRequiredTestClass(), ProcessDeadline.class))
            .map(ProcessDeadline::seconds).orElse(60);
        final String testName = extensionContext.getDisplayName() + " in "
            + extensionContext.getRequiredTestClass().getSimpleName();
        final Thread testThread = Thread.currentThread();
        final CountDownLatch finished = new CountDownLatch(1);
        final AtomicBoolean fired = new AtomicBoolean();
        final Thread watchdog = new Thread(() -> {
            try {
                if (finished.await(seconds, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (final InterruptedException ex) {
                return;
            }
            fired.set(true);
            System.err.println("=== DEADLINE of " + seconds + " s passed for " + testName
                + ": thread dumps of every process follow ===");
            ProcessDumps.printAll(System.err);
            ProcessDumps.killDescendants();
            testThread.interrupt();
        }, "process-deadline-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            invocation.proceed();
        } catch (final Throwable thrown) {
            if (fired.get()) {
                throw new AssertionError(testName + " exceeded its deadline of " + seconds
                    + " s (thread dumps of every process printed to stderr)", thrown);
            }
            throw thrown;
        } finally {
            finished.countDown();
            watchdog.join(TimeUnit.SECONDS.toMillis(60));
        }
        if (fired.get()) {
            throw new AssertionError(testName + " exceeded its deadline of " + seconds
                + " s (thread dumps of every process printed to stderr)");
        }
    }
}
