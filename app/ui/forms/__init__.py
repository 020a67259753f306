"""Form dialogs: fields, the dialog that validates with the service schema, and the editors."""
