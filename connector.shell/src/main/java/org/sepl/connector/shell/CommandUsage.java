package org.sepl.connector.shell;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.apache.felix.service.command.Descriptor;

/**
 * The usage text of a Gogo command, made from the same {@link Descriptor} annotations that Gogo's
 * {@code help} shows, so that the two never disagree. The public methods named like the command are its forms;
 * parameters that only the longer forms have are optional:
 * <pre>
 * Usage: sepl:event DEVICE_ID SERVICE_ID [DATA]
 * Sends an event through the highest-ranked client and prints the platform's answer.
 *   DEVICE_ID   the device's gateway-local id
 *   ...
 * </pre>
 * Needs the parameter names in the class file ({@code javac -parameters}).
 */
final class CommandUsage {

    private CommandUsage() {
    }

    /** @return the usage of {@code scope:function}, whose forms are the public methods named {@code function} */
    static String of(Class<?> commands, String scope, String function) {
        List<Method> forms = Arrays.stream(commands.getMethods())
                .filter(m -> m.getName().equals(function))
                .sorted(Comparator.comparingInt(Method::getParameterCount))
                .toList();
        if (forms.isEmpty()) {
            throw new IllegalArgumentException(commands.getName() + " has no command " + function);
        }
        Method longest = forms.get(forms.size() - 1);
        int required = forms.get(0).getParameterCount();
        Parameter[] parameters = longest.getParameters();

        StringBuilder usage = new StringBuilder("Usage: ").append(scope).append(':').append(function);
        for (int i = 0; i < parameters.length; i++) {
            String name = displayName(parameters[i]);
            usage.append(' ').append(i < required ? name : "[" + name + "]");
        }
        usage.append('\n');
        forms.stream().map(m -> m.getAnnotation(Descriptor.class)).filter(Objects::nonNull)
                .reduce((shorter, longer) -> longer)
                .ifPresent(d -> usage.append(capitalised(d.value())).append(".\n"));
        int width = Arrays.stream(parameters).mapToInt(p -> displayName(p).length()).max().orElse(0);
        for (Parameter parameter : parameters) {
            Descriptor d = parameter.getAnnotation(Descriptor.class);
            usage.append(String.format("  %-" + width + "s  %s%n", displayName(parameter), d == null ? "" : d.value()));
        }
        return usage.toString();
    }

    /** {@code deviceId} becomes {@code DEVICE_ID}. */
    static String displayName(Parameter parameter) {
        return parameter.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
