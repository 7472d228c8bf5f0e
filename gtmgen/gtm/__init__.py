"""The GTM export format: parameters, entities, IDs and serialisation."""
