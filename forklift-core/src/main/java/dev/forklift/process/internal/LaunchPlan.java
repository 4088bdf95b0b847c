package dev.forklift.process.internal;

import dev.forklift.process.ChildOutput;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything needed to launch one child, validated and serialized in the parent before anything is launched.
 *
 * <p>Internal; not API.
 *
 * @param name             the child's name.
 * @param role             its role.
 * @param taskClassName    the task class name, or null when {@code taskBytes} is set.
 * @param taskBytes        the serialized task object, or null.
 * @param argsBytes        the serialized arguments array.
 * @param classNames       every class written into the task and arguments bytes (the child's allow-list for them).
 * @param jvmOptions       JVM options, such as {@code -Xmx64m}.
 * @param systemProperties system properties for the child.
 * @param environment      environment variables added to the parent's.
 * @param classpath        the child's class path.
 * @param startTimeout     the longest time from launch to the ready handshake.
 * @param output           where the child's lines go.
 * @param classDataSharing whether the child may use (and make) a cached class-data archive
 *                         ({@link ClassDataArchive}).
 * @param warm             whether the child may run in a warm worker of the user's warm host
 *                         ({@link WarmHostClient}).
 */
public record LaunchPlan(String name, String role, String taskClassName, byte[] taskBytes, byte[] argsBytes,
                         Set<String> classNames, List<String> jvmOptions, Map<String, String> systemProperties,
                         Map<String, String> environment, String classpath, Duration startTimeout,
                         ChildOutput output, boolean classDataSharing,
                         boolean warm) {
}
