"""The meldcode dossier: a case led through the five steps, the afwegingskader and the decision."""
