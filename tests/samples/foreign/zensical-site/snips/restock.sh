pantryctl restock --shelf 3
