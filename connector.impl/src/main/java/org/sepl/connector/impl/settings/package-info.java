/**
 * The client's settings, each defined once ({@link org.sepl.connector.impl.settings.ClientSettings#ALL}) with its
 * property name, default, range and description, and checked in one place.
 */
package org.sepl.connector.impl.settings;
