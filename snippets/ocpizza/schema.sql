-- OC Pizza: the part of the schema the sandbox needs (menu and orders).
CREATE TABLE pizza (
    id INT PRIMARY KEY AUTO_INCREMENT,
    nom VARCHAR(100) NOT NULL UNIQUE,
    prix DECIMAL(5, 2) NOT NULL
);
CREATE TABLE commande (
    id INT PRIMARY KEY AUTO_INCREMENT,
    pizza_id INT NOT NULL REFERENCES pizza (id),
    quantite INT NOT NULL CHECK (quantite > 0),
    passee_le DATETIME NOT NULL
);
INSERT INTO pizza (nom, prix) VALUES
    ('Margherita', 9.50), ('Regina', 11.00), ('Quatre fromages', 12.50),
    ('Calzone', 12.00), ('Napolitaine', 10.50);
INSERT INTO commande (pizza_id, quantite, passee_le) VALUES
    (1, 2, '2019-01-30 19:02:00'), (3, 1, '2019-01-30 19:15:00'), (2, 3, '2019-01-30 20:41:00');
