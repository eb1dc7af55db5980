"""Text stages: boilerplate, sentences, language."""
