package dev.forklift.cluster;

/**
 * Makes a process started by {@link LocalCluster} exit when the process that started it is gone (also after
 * {@code kill -9}), so that tests and chaos runs leave no broker or worker host behind. The parent's pid comes in
 * the system property {@value #PARENT_PID_PROPERTY}; without it nothing is watched. Internal to the module.
 */
final class ParentWatch {
    /** System property with the pid of the process to outlive not. */
    static final String PARENT_PID_PROPERTY = "forklift.cluster.parentPid";

    private ParentWatch() {
    }

    /** Starts a daemon thread that halts this JVM within about half a second of the parent's end. */
    static void exitWithParent() {
        final String pid = System.getProperty(PARENT_PID_PROPERTY);
        if (pid == null) {
            return;
        }
        final ProcessHandle parent = ProcessHandle.of(Long.parseLong(pid)).orElse(null);
        final Thread watch = new Thread(() -> {
            while (parent != null && parent.isAlive()) {
                try {
                    Thread.sleep(300);
                } catch (final InterruptedException ex) {
                    return;
                }
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
