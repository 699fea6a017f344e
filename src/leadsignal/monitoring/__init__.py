"""The main job: which leads are due, and one monitoring cycle over them."""
