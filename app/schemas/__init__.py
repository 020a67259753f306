"""pydantic input models, the domain vocabulary, and validators with Chinese messages."""
