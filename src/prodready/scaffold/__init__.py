"""Projects that start production-ready (`prodready new`) and stay in step with the templates
(`prodready update`)."""
