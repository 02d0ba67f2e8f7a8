"""Banks and builders of the classifier's training data (see ../generate_training_data.py)."""
