package org.sepl.connector.impl.osgi;

import java.util.Arrays;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeProvider;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.sepl.connector.impl.settings.ClientSettings;
import org.sepl.connector.impl.settings.Setting;

/**
 * The metatype of the client's configuration (what the Felix Web Console or Karaf shows and edits), made from the one
 * list of settings, {@link ClientSettings#ALL}, rather than written again as an annotated interface. Registered as a
 * {@link MetaTypeProvider} service for the PID and the factory PID (OSGi Metatype, "MetaType Provider service").
 */
@Component(service = MetaTypeProvider.class, property = {
        MetaTypeProvider.METATYPE_PID + "=" + ConnectorClientComponent.PID,
        MetaTypeProvider.METATYPE_FACTORY_PID + "=" + ConnectorClientComponent.PID })
public final class ClientMetaType implements MetaTypeProvider {

    static final String NAME = "SEPL connector client";
    static final String DESCRIPTION = "Connection of this gateway to a SEPL platform connector endpoint.";

    private final ObjectClassDefinition definition = new Definition(
            ClientSettings.ALL.stream().map(Attribute::new).toArray(AttributeDefinition[]::new));

    @Override
    public ObjectClassDefinition getObjectClassDefinition(String id, String locale) {
        return ConnectorClientComponent.PID.equals(id) ? definition : null;
    }

    @Override
    public String[] getLocales() {
        return null;
    }

    private record Definition(AttributeDefinition[] attributes) implements ObjectClassDefinition {
        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public String getID() {
            return ConnectorClientComponent.PID;
        }

        @Override
        public String getDescription() {
            return DESCRIPTION;
        }

        @Override
        public AttributeDefinition[] getAttributeDefinitions(int filter) {
            return switch (filter) {
                case REQUIRED -> Arrays.stream(attributes).filter(a -> !((Attribute) a).blankByDefault())
                        .toArray(AttributeDefinition[]::new);
                case OPTIONAL -> Arrays.stream(attributes).filter(a -> ((Attribute) a).blankByDefault())
                        .toArray(AttributeDefinition[]::new);
                default -> attributes.clone();
            };
        }

        @Override
        public java.io.InputStream getIcon(int size) {
            return null;
        }
    }

    /**
     * One setting as a metatype attribute. A setting with a value by default is a "required" attribute (a form
     * always saves it, as a value to change); one that is empty unless set (a trust store, a transport's name) is an
     * "optional" one, which a form saves only when asked to.
     */
    static final class Attribute implements AttributeDefinition {
        final Setting<?> setting;

        Attribute(Setting<?> setting) {
            this.setting = setting;
        }

        boolean blankByDefault() {
            return "".equals(setting.defaultValue());
        }

        @Override
        public String getName() {
            return setting.label();
        }

        @Override
        public String getID() {
            return setting.property();
        }

        @Override
        public String getDescription() {
            String text = setting.description().replace("`", ""); // the docs' backquotes mean nothing in a form
            return Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".";
        }

        @Override
        public int getCardinality() {
            return 0;
        }

        @Override
        public int getType() {
            return switch (setting.type()) {
                case STRING -> STRING;
                case PASSWORD -> PASSWORD;
                case BOOLEAN -> BOOLEAN;
                case INTEGER -> INTEGER;
                case LONG -> LONG;
                case DOUBLE -> DOUBLE;
            };
        }

        @Override
        public String[] getOptionValues() {
            return null;
        }

        @Override
        public String[] getOptionLabels() {
            return null;
        }

        /** Checks a value as the client will: the same words as its log line. */
        @Override
        public String validate(String value) {
            List<String> problems = ClientSettings.problemsOf(setting, value);
            return problems.isEmpty() ? "" : String.join("; ", problems);
        }

        @Override
        public String[] getDefaultValue() {
            Object d = setting.defaultValue();
            return d == null ? null : new String[] { String.valueOf(d) };
        }
    }
}
